import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** `POST /v1/authentications/{id}/user-code`. */
export class UserCodeDto {
  @ApiProperty({ example: '483920' })
  @IsString()
  @Matches(/^[^\p{Cc}\p{Cf}]{1,128}$/u, { message: 'userCode must be 1-128 printable characters' })
  userCode!: string;
}
